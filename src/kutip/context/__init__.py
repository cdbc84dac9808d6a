"""kutip.context"""
