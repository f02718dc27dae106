"""Soroban ledger entries for collateral held by a contract, as XDR (pure: no network).

A contract's holding of a Stellar asset (lumens or CODE:ISSUER) is kept by the asset's Stellar Asset
Contract (SAC) as persistent contract data: key `Vec[Symbol("Balance"), Address(holder)]`, value
`Map{amount: I128, authorized: Bool, clawback: Bool}`, amount in stroops (7 decimals). A contract
exists when its instance entry does. No balance entry for an existing contract means it holds none.
"""

from __future__ import annotations

from decimal import Decimal

from stellar_sdk import Address, Asset, scval
from stellar_sdk import xdr as x

from recon.chain.units import STELLAR_DECIMALS

BALANCE = "Balance"


def sac_asset(asset_key: str) -> Asset:
    """`native` or `CODE:ISSUER`, as the credit tables name assets."""
    if asset_key == "native":
        return Asset.native()
    code, issuer = asset_key.split(":", 1)
    return Asset(code, issuer)


def sac_contract_id(asset_key: str, passphrase: str) -> str:
    return sac_asset(asset_key).contract_id(passphrase)


def _data_key(contract_id: str, key: x.SCVal) -> x.LedgerKey:
    return x.LedgerKey(type=x.LedgerEntryType.CONTRACT_DATA, contract_data=x.LedgerKeyContractData(
        contract=Address(contract_id).to_xdr_sc_address(), key=key, durability=x.ContractDataDurability.PERSISTENT))


def balance_key_val(holder: str) -> x.SCVal:
    return scval.to_vec([scval.to_symbol(BALANCE), scval.to_address(holder)])


def balance_key(holder: str, asset_key: str, passphrase: str) -> x.LedgerKey:
    """The SAC entry holding `holder`'s balance of the asset."""
    return _data_key(sac_contract_id(asset_key, passphrase), balance_key_val(holder))


def instance_key(contract_id: str) -> x.LedgerKey:
    """The contract's instance entry: present exactly when the contract exists."""
    return _data_key(contract_id, x.SCVal(type=x.SCValType.SCV_LEDGER_KEY_CONTRACT_INSTANCE))


def balance_value(stroops: int) -> x.SCVal:
    return scval.to_map({scval.to_symbol("amount"): scval.to_int128(stroops),
                         scval.to_symbol("authorized"): scval.to_bool(True),
                         scval.to_symbol("clawback"): scval.to_bool(False)})


def balance_from_entry(entry_xdr: str) -> Decimal:
    """The amount of a SAC balance entry (LedgerEntryData XDR, base64), in units of the asset."""
    data = x.LedgerEntryData.from_xdr(entry_xdr)
    if data.contract_data is None or data.contract_data.val.map is None:
        raise ValueError("not a contract balance entry")
    fields = {scval.from_symbol(e.key): e.val for e in data.contract_data.val.map.sc_map}
    if "amount" not in fields:
        raise ValueError("contract balance entry without an amount")
    return Decimal(scval.from_int128(fields["amount"])).scaleb(-STELLAR_DECIMALS)
