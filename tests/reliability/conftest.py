import sys
from pathlib import Path

# newsgen.py (the article grammar) sits next to the tests; --import-mode=importlib does not put it on the path
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
