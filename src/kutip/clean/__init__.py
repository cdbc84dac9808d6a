"""kutip.clean"""
