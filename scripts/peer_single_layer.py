#!/usr/bin/env python3
"""The peer pipeline (../shared/peer) on single-layer exports such as deepstate-occupied/:
every polygon is occupied, and the time is the YYYYMMDD date in the file name (the peer
itself only reads names that are unix seconds). Same arguments as peer_report.py."""
import datetime, os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'peer'))
import classify, peer_report

classify.status_of = lambda props: 'occupied'

def time_of(name, *base):
    if isinstance(name, str) and not name.isdigit():
        m = re.search(r'(\d{8})', name)
        if m:
            day = datetime.datetime.strptime(m.group(1), '%Y%m%d').replace(tzinfo=datetime.timezone.utc)
            return int(day.timestamp())
    return int(name, *base)

peer_report.int = time_of
peer_report.main()
