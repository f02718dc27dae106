"""Collateralised credit: collateral value, volatility-adjusted LTV bands, liquidations, repayments."""
