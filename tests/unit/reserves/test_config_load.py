"""The reserves configuration never supplies a figure the books start from."""

from decimal import Decimal

import pytest

from recon.reserves.config_load import config_from_dict


def test_a_listed_chain_needs_its_initial_reserve() -> None:
    # Assuming a launch reserve would turn a missing setting into findings about real books.
    with pytest.raises(ValueError, match=r"redemption_chains\.base\.initial_reserve is required"):
        config_from_dict({"redemption_chains": [{"chain": "base", "chain_id": 8453}]})


def test_the_initial_reserve_is_kept_as_written() -> None:
    config = config_from_dict({"redemption_chains": [{"chain": "base", "chain_id": 8453,
                                                       "initial_reserve": "2500000.50"}]})
    assert config.redemption_chains[0].initial_reserve == Decimal("2500000.50")


def test_no_redemption_chains_key_means_not_configured() -> None:
    # Absent is a state (the books cannot be audited), never ethereum and base at a made-up 100000.
    config = config_from_dict({"tokens": []})
    assert config.redemption_chains is None and config.chains == ()
    assert config.chain_by_name("ethereum") is None
