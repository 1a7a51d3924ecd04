"""Credit: the learner's claim (site page and paper form), certificates and the provider's records."""
