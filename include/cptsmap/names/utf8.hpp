#pragma once
// UTF-8 checks for text that comes from outside: definitions files, and names read from a .dbf
// whose .cpg may state the wrong encoding.
#include <cstddef>
#include <string_view>

namespace cptsmap {

// Offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included); std::string_view::npos if `s` is valid.
std::size_t invalid_utf8_offset(std::string_view s) noexcept;

// True when valid UTF-8 `s` is UTF-8 text decoded once more as Latin-1 ("BÃªta" for "Bêta"): all its
// code points are below U+0100, and the bytes they stand for form valid UTF-8 with at least one
// multi-byte sequence. What a .cpg saying LATIN1 (or no .cpg) over a UTF-8 .dbf gives.
bool looks_double_encoded(std::string_view s) noexcept;

} // namespace cptsmap
