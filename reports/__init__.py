"""The tracker and the quarterly quality-assurance report, read from each alert's events.

Start at ``reports.build`` (what the commands call); docs/reports.md says how each figure is counted.
"""
