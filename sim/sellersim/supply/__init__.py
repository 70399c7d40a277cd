"""Supply: purchase orders, freight, receiving and the reorder policy."""
