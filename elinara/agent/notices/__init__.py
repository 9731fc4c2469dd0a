"""A call's notice (its "Aviso" document): fetched once, its text extracted, its criteria read."""
