"""kutip.batch"""
