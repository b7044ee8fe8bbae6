import os, sys
os.environ.setdefault("MPLBACKEND", "Agg")
