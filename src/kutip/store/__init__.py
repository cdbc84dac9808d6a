"""kutip.store"""
