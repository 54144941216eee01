//! Inline tokenizer for segment texts (placeholder).
