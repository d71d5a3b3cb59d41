#include "cptsmap/names/normalize.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <sstream>
#include <vector>

namespace cptsmap {

namespace {

// Decodes one UTF-8 code point at s[i], advancing i. Invalid bytes decode as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i)
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) -> int {
        if (i + k >= s.size()) return -1;
        const auto b = static_cast<unsigned char>(s[i + k]);
        return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
    };
    if (b0 < 0x80) { i += 1; return b0; }
    if ((b0 & 0xE0) == 0xC0) {
        const int c1 = cont(1);
        if (c1 < 0) { i += 1; return 0xFFFD; }
        i += 2;
        return static_cast<char32_t>(((b0 & 0x1F) << 6) | c1);
    }
    if ((b0 & 0xF0) == 0xE0) {
        const int c1 = cont(1), c2 = cont(2);
        if (c1 < 0 || c2 < 0) { i += 1; return 0xFFFD; }
        i += 3;
        return static_cast<char32_t>(((b0 & 0x0F) << 12) | (c1 << 6) | c2);
    }
    if ((b0 & 0xF8) == 0xF0) {
        const int c1 = cont(1), c2 = cont(2), c3 = cont(3);
        if (c1 < 0 || c2 < 0 || c3 < 0) { i += 1; return 0xFFFD; }
        i += 4;
        return static_cast<char32_t>(((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3);
    }
    i += 1;
    return 0xFFFD;
}

// ASCII folding of Latin-1 Supplement (U+00C0..U+00FF); "" for characters that are separators.
const char* fold_latin1(char32_t c)
{
    static const std::array<const char*, 64> table = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0-CF
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss", // D0-DF
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",  // F0-FF
    };
    return table[c - 0xC0];
}

// ASCII folding of Latin Extended-A (U+0100..U+017F), by ranges of the same base letter.
const char* fold_latin_ext_a(char32_t c)
{
    struct Range { char32_t first, last; const char* ascii; };
    static const Range ranges[] = {
        {0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
        {0x11C, 0x123, "g"}, {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
        {0x134, 0x135, "j"}, {0x136, 0x138, "k"}, {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
        {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
        {0x162, 0x167, "t"}, {0x168, 0x173, "u"}, {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
        {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
    };
    for (const auto& r : ranges)
        if (c >= r.first && c <= r.last) return r.ascii;
    return " ";
}

// Folds the whole string to lower-case ASCII letters, digits and single spaces.
std::string fold(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    auto put_space = [&] {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
    };
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = next_code_point(s, i);
        if (c < 0x80) {
            const auto ch = static_cast<unsigned char>(c);
            if (std::isalnum(ch)) out.push_back(static_cast<char>(std::tolower(ch)));
            else put_space();
        } else if (c >= 0x300 && c <= 0x36F) {
            // combining diacritical mark (decomposed accents): drop
        } else {
            const char* ascii = " ";
            if (c >= 0xC0 && c <= 0xFF) ascii = fold_latin1(c);
            else if (c >= 0x100 && c <= 0x17F) ascii = fold_latin_ext_a(c);
            else if (c == 0x1E9E) ascii = "ss";
            if (ascii[0] == ' ') put_space();
            else out += ascii;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::vector<std::string> tokens(const std::string& folded)
{
    std::vector<std::string> out;
    std::istringstream in(folded);
    std::string t;
    while (in >> t) out.push_back(t);
    return out;
}

std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out.push_back(' ');
        out += p;
    }
    return out;
}

// "Is-s/-Tille", "Arc s/ Tille": the clerk's abbreviation of "sur" (and "s/s" of "sous").
std::string expand_sur(std::string_view name)
{
    std::string out;
    out.reserve(name.size() + 8);
    for (std::size_t i = 0; i < name.size(); ++i) {
        const bool word_start = i == 0 || name[i - 1] == ' ' || name[i - 1] == '-' || name[i - 1] == '\'' || name[i - 1] == '(';
        if (word_start && (name[i] == 's' || name[i] == 'S') && i + 1 < name.size() && name[i + 1] == '/') {
            if (i + 2 < name.size() && (name[i + 2] == 's' || name[i + 2] == 'S') &&
                (i + 3 == name.size() || name[i + 3] == ' ' || name[i + 3] == '-')) {
                out += " sous ";
                i += 2;
            } else {
                out += " sur ";
                i += 1;
            }
            continue;
        }
        out.push_back(name[i]);
    }
    return out;
}

} // namespace

std::string normalize_name(std::string_view raw)
{
    const std::string expanded = expand_sur(raw);
    const std::string_view name = expanded;
    std::vector<std::string> t = tokens(fold(name));
    for (auto& w : t) {
        if (w == "st") w = "saint";
        else if (w == "ste") w = "sainte";
        else if (w == "lez") w = "les";
    }
    // "Riceys (Les)", "Bouchet (Le)", "Vaux (L')": IGN's old sorted form, article last.
    if (t.size() >= 2) {
        const std::string& last = t.back();
        // Also "Riceys, Les", the form spreadsheets sorted by name use.
        const bool bracketed = name.find('(') != std::string_view::npos || name.find(',') != std::string_view::npos;
        if (bracketed && (last == "le" || last == "la" || last == "les" || last == "l")) {
            std::string article = last;
            t.pop_back();
            t.insert(t.begin(), article);
        }
    }
    return join(t);
}

std::string without_article(const std::string& normalised)
{
    for (const char* article : {"le ", "la ", "les ", "l "}) {
        const std::string_view a(article);
        if (normalised.size() > a.size() && normalised.compare(0, a.size(), a) == 0) return normalised.substr(a.size());
    }
    return normalised;
}

std::string epci_key(std::string_view name)
{
    std::vector<std::string> t = tokens(normalize_name(name));
    std::vector<std::string> kept;
    std::size_t i = 0;
    // Legal form at the start.
    auto at = [&](std::size_t k, const char* w) { return i + k < t.size() && t[i + k] == w; };
    if (at(0, "communaute")) {
        if (at(1, "de") && at(2, "communes")) i += 3;
        else if (at(1, "d") && at(2, "agglomeration")) i += 3;
        else if (at(1, "urbaine")) i += 2;
        else if (at(1, "de") && at(2, "l") && at(3, "agglomeration")) i += 4;
    } else if (at(0, "cc") || at(0, "ca") || at(0, "cu") || at(0, "cdc")) {
        i += 1;
    }
    static const char* const small[] = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "metropole", "en"};
    for (; i < t.size(); ++i) {
        bool drop = false;
        for (const char* s : small) drop = drop || t[i] == s;
        if (!drop) kept.push_back(t[i]);
    }
    return join(kept);
}

bool looks_like_insee_code(std::string_view text)
{
    if (text.size() != 5) return false;
    for (std::size_t i = 0; i < 5; ++i) {
        const char c = text[i];
        const bool digit = c >= '0' && c <= '9';
        const bool corsica = i == 1 && text[0] == '2' && (c == 'A' || c == 'B' || c == 'a' || c == 'b');
        if (!digit && !corsica) return false;
    }
    return true;
}

bool looks_like_siren(std::string_view text)
{
    if (text.size() != 9) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace cptsmap
