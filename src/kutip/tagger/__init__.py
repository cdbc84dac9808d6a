"""kutip.tagger"""
