"""kutip.ingest"""
