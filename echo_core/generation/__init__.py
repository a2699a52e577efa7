"""Reply generation: the offline rules composer, the OpenAI provider and the fact-check validator."""

PIPELINE_VERSION = "echo-generation/1"
