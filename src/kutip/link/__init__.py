"""kutip.link"""
