// libFuzzer target: the definitions file parser (TOML, then each members expression). Any input
// must either parse or throw cptsmap::Error; anything else (a crash, another exception, a sanitizer
// report) is a bug. Run by scripts/fuzz on the corpus in tests/fuzz/corpus/definitions.
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const cptsmap::Definitions defs = cptsmap::parse_definitions(text, "fuzz.toml");
        for (const auto& t : defs.territories)
            if (!t.members) __builtin_trap(); // a parsed territory always has members
    } catch (const cptsmap::Error&) {
    }
    return 0;
}
