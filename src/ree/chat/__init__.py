"""Layer 2, orchestration: one conversation turn at a time.

- `understand`: a message (+ the conversation state) -> intent, effective filters, references.
- `state`: how a turn changes the filters (LABELS.md rules) and the state stored after it.
- `evaluate`: scores understanding on labelled files (`python -m ree.chat.evaluate`).
- `turn`, `service`: the turn handler and the assistant object that wire the layers.
"""
