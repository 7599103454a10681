"""Runs a Python script with its arguments, then prints one JSON line: the peak resident memory (MB) of
this process and of the child processes it waited for (the larger). For the anchors' memory, beside
their times: /usr/bin/python3 peak_rss.py SCRIPT [ARGS...]."""
import json
import resource
import runpy
import sys

script = sys.argv[1]
sys.argv = sys.argv[1:]
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit:
    pass
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"peak_rss_mb": round(max(self_kb, children_kb) / 1024, 1)}), flush=True)
