"""`python -m kutip`."""
from kutip.cli import main

main()
