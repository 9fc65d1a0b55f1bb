"""Vietnamese language: text, numbers, vocabulary, places, and reading queries.

- `text`: `normalize` (NFC, one tone placement) and `fold` (no diacritics, "đ" -> "d").
- `numbers`: prices ("5t5", "1 tỷ 2", "15 triệu/tháng") and areas ("5x20", "7.748 m²").
- `vocab`: property types, features, directions, legal status, furnishing, language.
- `gazetteer`: provinces (63 and the 34 of 2025), districts, wards, projects, landmarks.
- `query`: one message read into constraints and cues (used by `ree.chat.understand`).
- `lexicon`, `places`: the phrase matcher and place resolution behind the above.

All word lists live in `ree/vi/data/`, loaded once on first use.
"""
