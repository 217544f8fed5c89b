"""Development servers that stand in for what we do not own: GitHub (replayed) and SMTP (caught).

The demo, the benchmark, the tests and a developer's terminal all use them; production never does.
"""
