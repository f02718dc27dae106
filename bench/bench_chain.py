"""Chain read benchmark on a real local EVM (py-evm over HTTP JSON-RPC).

1. Balances of N holders (default 10,000): one eth_call per holder (the bare baseline), JSON-RPC
   batches of eth_call, and Multicall3 aggregate3 in batches; wall time and HTTP round trips.
2. Transfer logs over 10k and 100k blocks, streamed chunk by chunk, read in a fresh process so its
   peak RSS is the reader's alone.

    .venv/bin/python bench/bench_chain.py [--holders 10000] [--blocks 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clients.evm_client import EvmClient, EvmSettings, Token  # noqa: E402
from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain  # noqa: E402

READER = """
import json, sys
from clients.evm_client import EvmClient, EvmSettings, Token
url, token, end = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = EvmClient(EvmSettings(name="bench", chain_id=1, url=url, timeout=600))
count = total = 0
for t in client.transfers(Token(token, "RUSD", 6), 0, end):
    count += 1
    total += t.amount_raw
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"count": count, "total": total, "peak_rss_mb": int(hwm.split()[1]) / 1024}))
"""


def holders_of(n: int) -> list[str]:
    return [f"0x{i + 0x1000:040x}" for i in range(n)]


def bench_balances(chain: LocalEvmChain, token: str, holders: list[str]) -> list[tuple]:
    t = Token(token, "RUSD", 6)
    block = chain.block_number
    rows = []
    variants = [
        ("one eth_call per holder (baseline)", {"batch_size": 1}),
        ("JSON-RPC batches of 500 eth_call", {"batch_size": 500}),
        ("Multicall3 aggregate3 x1000, batched", {"multicall3": MULTICALL3_ADDRESS}),
    ]
    base = None
    for label, extra in variants:
        client = EvmClient(EvmSettings(name="bench", chain_id=1, url=chain.url, timeout=600, **extra))
        chain.reset_request_count()
        start = time.perf_counter()
        got = client.balances(t, holders, block)
        wall = time.perf_counter() - start
        assert sum(got.values()) == sum(range(1, len(holders) + 1)), "wrong balances"
        base = base or wall
        rows.append((label, len(holders), chain.request_count, wall, len(holders) / wall, base / wall))
    return rows


def bench_logs(chain: LocalEvmChain, token: str, spans: list[int]) -> list[tuple]:
    rows = []
    for span in spans:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", READER, chain.url, token, str(span)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        wall = time.perf_counter() - start
        res = json.loads(out.stdout)
        rows.append((span, res["count"], wall, span / wall, res["peak_rss_mb"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holders", type=int, default=10_000)
    ap.add_argument("--blocks", type=int, default=100_000)
    ap.add_argument("--transfer-every", type=int, default=50, help="blocks between transfers")
    ap.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    args = ap.parse_args()
    show = (lambda *a, **k: None) if args.json else print

    with LocalEvmChain(chain_id=1) as chain:
        token = chain.deploy_token("Reserve USD", "RUSD", 6)
        holders = holders_of(args.holders)
        t0 = time.perf_counter()
        for i in range(0, len(holders), 500):
            part = holders[i : i + 500]
            chain.mint_many(token, part, list(range(i + 1, i + len(part) + 1)))
        show(f"setup: {len(holders)} holders minted in {time.perf_counter() - t0:.1f}s", flush=True)
        balance_rows = bench_balances(chain, token, holders)

        t0 = time.perf_counter()
        sender = chain.accounts[1]
        chain.mint(token, sender, 10**12)
        while chain.block_number < args.blocks:
            chain.mine(min(args.transfer_every - 1, args.blocks - chain.block_number))
            chain.transfer(token, sender, chain.accounts[2], 1)
        show(f"setup: {chain.block_number} blocks in {time.perf_counter() - t0:.1f}s", flush=True)
        log_rows = bench_logs(chain, token, [args.blocks // 10, args.blocks])

    if args.json:
        # The floor here is the plain one-call-per-holder read: ratio_to_floor is our time over its.
        cases = [{"case": "balances", "method": label, "holders": n, "round_trips": trips, "wall_s": wall,
                  "holders_s": rate, "ratio_to_floor": 1 / ratio}
                 for label, n, trips, wall, rate, ratio in balance_rows]
        cases += [{"case": "transfer_logs", "blocks": span, "transfers": count, "wall_s": wall,
                   "blocks_s": rate, "peak_rss_mb": rss} for span, count, wall, rate, rss in log_rows]
        print(json.dumps(cases))
        return
    print("\nBalances at one pinned block")
    print(f"| {'method':<38} | holders | round trips | wall s | holders/s | speed-up |")
    print(f"|{'-' * 40}|---------|-------------|--------|-----------|----------|")
    for label, n, trips, wall, rate, ratio in balance_rows:
        print(f"| {label:<38} | {n:>7} | {trips:>11} | {wall:>6.2f} | {rate:>9.0f} | {ratio:>7.1f}x |")
    print("\nTransfer logs, streamed (reader in its own process)")
    print("| blocks  | transfers | wall s | blocks/s | peak RSS MB |")
    print("|---------|-----------|--------|----------|-------------|")
    for span, count, wall, rate, rss in log_rows:
        print(f"| {span:>7} | {count:>9} | {wall:>6.1f} | {rate:>8.0f} | {rss:>11.1f} |")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(node process peak RSS: {own:.0f} MB)")


if __name__ == "__main__":
    main()
