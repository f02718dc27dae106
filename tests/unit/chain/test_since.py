"""Which balances an intraday read carries over from the last complete read: those no Transfer since names."""

from recon.chain.since import carried_balances


def test_only_holders_no_log_names_carry_over_whatever_the_address_case() -> None:
    known = {"0xAbC": 5, "0xdef": 7, "0x111": 0}
    # A mint names the zero address and the receiver; a burn the holder and the zero address.
    touched = ["0x0000000000000000000000000000000000000000", "0xabc", "0xDEF"]
    assert carried_balances(known, touched) == {"0x111": 0}


def test_nothing_moved_carries_every_balance_read() -> None:
    assert carried_balances({"0xA": 1, "0xB": 2}, []) == {"0xa": 1, "0xb": 2}
