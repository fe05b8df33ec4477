"""The README's first command: show the product working on the embedded default."""

from __future__ import annotations

import argparse


def run_demo(args: argparse.Namespace) -> int:
    from practice_alerts.policies.load import load_policy, policy_names

    for name in policy_names():
        policy = load_policy(name)
        ladder = " -> ".join(f"{s.name} ({s.recipient.label})" for s in policy.stages)
        print(f"{policy.authority}: {ladder}")
    return 0
