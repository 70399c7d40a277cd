"""Money: the ledger, Amazon's fee schedule and the payout cycle."""
