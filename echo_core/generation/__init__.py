"""Reply generation: the offline rules composer, the OpenAI provider and the fact-check validator."""
