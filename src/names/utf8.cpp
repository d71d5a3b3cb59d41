#include "cptsmap/names/utf8.hpp"

#include <string>

namespace cptsmap {

namespace {

// Length of the well-formed sequence starting at s[i], 0 if there is none (Unicode table 3-7).
std::size_t sequence_length(std::string_view s, std::size_t i) noexcept
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

} // namespace

std::size_t invalid_utf8_offset(std::string_view s) noexcept
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = sequence_length(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

bool looks_double_encoded(std::string_view s) noexcept
{
    if (invalid_utf8_offset(s) != std::string_view::npos) return false;
    std::string bytes;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = sequence_length(s, i);
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (n == 1) bytes += s[i];
        else if (n == 2 && b0 <= 0xC3) bytes += static_cast<char>(((b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
        else return false; // a code point above U+00FF: not Latin-1 bytes
        i += n;
    }
    bool multibyte = false;
    for (unsigned char c : bytes) multibyte = multibyte || c >= 0x80;
    return multibyte && invalid_utf8_offset(bytes) == std::string_view::npos;
}

} // namespace cptsmap
