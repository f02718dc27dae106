"""A local Soroban RPC: JSON-RPC over real HTTP answering getLedgerEntries with real XDR
(and getNetwork, getHealth), with faults.

    with SorobanRpcFixture(passphrase, latest_ledger=1100) as rpc:
        rpc.add_contract(contract_id, last_modified=1001)
        rpc.set_balance(contract_id, "native", stroops=50_000_000_000, last_modified=1050)
        SorobanServer(rpc.url).get_ledger_entries([...])

Entries are stored as the network does: LedgerEntryData XDR by its LedgerKey XDR (both base64), each
with the ledger that last modified it. Keys the fixture does not hold are left out of the reply, as the
real server leaves out entries that do not exist.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from stellar_sdk import xdr as x

from devworld.faults import Fault, FaultPlan
from devworld.http_server import FixtureServer, ServedFixture
from recon.chain import soroban

PROTOCOL = 22
MAX_KEYS = 200  # the real server's limit per request
RETENTION = 17_280  # ledgers of history the server keeps (a day), as getHealth reports


def _method(_path: str, body: bytes) -> list[str]:
    try:
        return [str(json.loads(body or b"{}").get("method", ""))]
    except (ValueError, AttributeError):
        return [""]


class SorobanRpcFixture(ServedFixture):
    def __init__(self, passphrase: str, latest_ledger: int, faults: list[Fault] | None = None) -> None:
        self.passphrase = passphrase
        self.latest_ledger = latest_ledger
        self._entries: dict[str, tuple[str, int]] = {}  # key XDR -> (entry data XDR, last modified ledger)
        self._lock = threading.Lock()
        self._server = FixtureServer(self._handle, _method, FaultPlan(faults))

    def inject(self, kind: str, count: int | None = 1, method: str | None = None, delay: float = 3.0) -> None:
        self.faults.add(Fault(kind=kind, count=count, method=method, delay=delay))

    # -- state ----------------------------------------------------------------------------------
    def _put(self, key: x.LedgerKey, val: x.SCVal, last_modified: int) -> None:
        at = key.contract_data
        assert at is not None, "contract data keys only"
        data = x.LedgerEntryData(type=x.LedgerEntryType.CONTRACT_DATA, contract_data=x.ContractDataEntry(
            ext=x.ExtensionPoint(0), contract=at.contract, key=at.key, durability=at.durability, val=val))
        with self._lock:
            self._entries[key.to_xdr()] = (data.to_xdr(), last_modified)

    def add_contract(self, contract_id: str, last_modified: int) -> None:
        """The contract's instance (a Wasm contract whose hash is derived from its id)."""
        wasm = x.Hash(hashlib.sha256(contract_id.encode()).digest())
        instance = x.SCVal(type=x.SCValType.SCV_CONTRACT_INSTANCE, instance=x.SCContractInstance(
            executable=x.ContractExecutable(type=x.ContractExecutableType.CONTRACT_EXECUTABLE_WASM, wasm_hash=wasm),
            storage=None))
        self._put(soroban.instance_key(contract_id), instance, last_modified)

    def set_balance(self, holder: str, asset_key: str, stroops: int, last_modified: int) -> None:
        """`holder`'s balance in the asset's Stellar Asset Contract, in stroops."""
        self._put(soroban.balance_key(holder, asset_key, self.passphrase), soroban.balance_value(stroops),
                  last_modified)

    # -- JSON-RPC -------------------------------------------------------------------------------
    def _handle(self, verb: str, _path: str, body: bytes) -> tuple[int, Any]:
        if verb != "POST":
            return 405, {"error": "JSON-RPC answers POST only"}
        request = json.loads(body)
        rid, method, params = request.get("id"), request.get("method"), request.get("params") or {}
        if method == "getLedgerEntries":
            keys = params.get("keys") or []
            if len(keys) > MAX_KEYS:
                return 200, self._error(rid, -32602, f"key count ({len(keys)}) exceeds maximum ({MAX_KEYS})")
            return 200, {"jsonrpc": "2.0", "id": rid, "result": self._ledger_entries(keys)}
        if method == "getNetwork":
            return 200, {"jsonrpc": "2.0", "id": rid,
                         "result": {"passphrase": self.passphrase, "protocolVersion": PROTOCOL}}
        if method == "getHealth":
            return 200, {"jsonrpc": "2.0", "id": rid, "result": {
                "status": "healthy", "latestLedger": self.latest_ledger,
                "oldestLedger": max(1, self.latest_ledger - RETENTION + 1), "ledgerRetentionWindow": RETENTION}}
        return 200, self._error(rid, -32601, f"method not found: {method}")

    def _ledger_entries(self, keys: list[str]) -> dict[str, Any]:
        with self._lock:
            held = {k: self._entries[k] for k in keys if k in self._entries}
        return {"entries": [{"key": k, "xdr": data, "lastModifiedLedgerSeq": modified,
                             "liveUntilLedgerSeq": self.latest_ledger + 100_000}
                            for k, (data, modified) in held.items()],
                "latestLedger": self.latest_ledger}

    @staticmethod
    def _error(rid: Any, code: int, message: str) -> dict[str, Any]:
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": message}}
