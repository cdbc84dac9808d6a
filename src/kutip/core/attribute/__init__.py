"""kutip.extract"""
