#pragma once
// Name normalisation for matching loosely written French place names.
//
// normalize_name() folds what people vary when they type a commune's name and keeps what tells two
// communes apart: lower case; accents and ligatures removed (é→e, œ→oe, æ→ae, ß→ss, decomposed
// accents too); hyphens, apostrophes and other punctuation become single spaces; "St"/"Ste" become
// "saint"/"sainte", "lez"/"lès" become "les"; "s/" becomes "sur" and "s/s" "sous" ("Is-s/-Tille");
// a trailing article in brackets or after a comma moves to the front ("Riceys (Les)", "Riceys, Les"
// → "les riceys"). Written by hand rather than with ICU because the rules are
// French-specific token rewrites and the transliteration needed is a small fixed table.
#include <string>
#include <string_view>

namespace cptsmap {

std::string normalize_name(std::string_view name);

// A normalised name without its leading article (le, la, les, l): "la bussiere sur ouche" →
// "bussiere sur ouche". Lists often drop the article ("Bussière-sur-Ouche"); a name left empty keeps it.
std::string without_article(const std::string& normalised);

// Key for EPCI names: normalize_name(), then the legal form ("communauté de communes", "CC", "CA",
// "CU", "métropole", "communauté d'agglomération", "communauté urbaine") and the small words
// (de, du, des, d, la, le, les, l, et) removed, so "communauté de communes du Montbardois" and
// "CC du Montbardois" share the key "montbardois", and "la métropole de Dijon" finds "Dijon Métropole".
std::string epci_key(std::string_view name);

// True if text looks like an INSEE commune code: 5 characters, digits, with 2A/2B for Corsica.
bool looks_like_insee_code(std::string_view text);
// True if text is a 9-digit SIREN.
bool looks_like_siren(std::string_view text);

} // namespace cptsmap
