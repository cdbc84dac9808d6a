"""kutip.web"""
