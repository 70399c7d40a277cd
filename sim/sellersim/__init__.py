"""SellerSim: an agent-based simulator of a growing Amazon FBA seller company."""

__version__ = "0.2.0"
