"""LLM judges: one small provider interface (:mod:`.base`), its implementations (OpenAI and the
OpenAI-compatible providers through the ``openai`` SDK, Gemini through ``google-genai``), the
prompt, the price table and the provider registry (keys, base URLs, default models).

Importing this package is cheap: the SDKs are imported only when a provider is built.
"""
