#include "cptsmap/definitions/definitions_file.hpp"

#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"

#include "cptsmap/names/utf8.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace cptsmap {

namespace {

std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

// toml++'s description, except for a string left open: at the end of its line toml++ speaks of the
// newline ("control characters ... are explicitly prohibited"), at the end of the file of
// "end-of-file"; say what is wrong instead.
std::string syntax_error_text(const toml::parse_error& e, const std::vector<std::string>& lines)
{
    const std::string description(e.description());
    if (description.find("while parsing") == std::string::npos || description.find("string") == std::string::npos) return description;
    if (description.find("end-of-file") != std::string::npos) {
        return "the file ends inside a string: a quote (or ''' or \"\"\") opened before is never closed; add the closing quote";
    }
    if (description.find("control characters") == std::string::npos) return description;
    const std::size_t line = e.source().begin.line, column = e.source().begin.column;
    if (line < 1 || line > lines.size()) return description;
    std::string text = lines[line - 1];
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const auto characters = static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    if (column <= characters) return description; // a control character inside the line: toml++ says it well
    return "the string is not closed on its line; a string in \"...\" or '...' ends on the line it starts: add the closing quote, or "
           "write a text of several lines between ''' and '''";
}

SourcePos pos_of(const toml::node& node, const std::string& file)
{
    SourcePos p;
    p.file = file;
    p.line = static_cast<int>(node.source().begin.line);
    p.column = static_cast<int>(node.source().begin.column);
    return p;
}

// Where the content of a TOML string value starts: after its opening quote(s), and on the next line
// when a multi-line string opens with a newline (TOML drops that newline).
SourcePos content_start(const toml::node& node, const std::vector<std::string>& lines, const std::string& file)
{
    SourcePos p = pos_of(node, file);
    if (p.line < 1 || static_cast<std::size_t>(p.line) > lines.size()) return p;
    const std::string& line = lines[static_cast<std::size_t>(p.line) - 1];
    // Columns count characters (UTF-8 code points); find the byte offset of that column.
    std::size_t byte = 0;
    for (int col = 1; col < p.column && byte < line.size(); ++col) {
        ++byte;
        while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) ++byte;
    }
    const std::string rest = line.substr(std::min(byte, line.size()));
    const bool triple = rest.rfind("'''", 0) == 0 || rest.rfind("\"\"\"", 0) == 0;
    if (triple) {
        const std::string after = rest.substr(3);
        if (after.empty() || after == "\r") {
            p.line += 1;
            p.column = 1;
        } else {
            p.column += 3;
        }
    } else {
        p.column += 1;
    }
    return p;
}

std::string require_string(const toml::table& table, const char* key, const std::string& where, const SourcePos& at)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) throw DefinitionError(at.str() + ": " + where + " has no '" + key + "'");
    if (!node->is_string()) throw DefinitionError(pos_of(*node, at.file).str() + ": '" + key + "' of " + where + " must be a string");
    return std::string(*node->value<std::string>());
}

ExprPtr parse_members(const toml::table& table, const std::string& where, const SourcePos& at,
                      const std::vector<std::string>& lines)
{
    const std::string text = require_string(table, "members", where, at);
    return parse_expression(text, content_start(*table.get("members"), lines, at.file));
}

} // namespace

Definitions parse_definitions(const std::string& text, const std::string& path)
{
    Definitions defs;
    defs.file = path;
    if (const std::size_t bad = invalid_utf8_offset(text); bad != std::string_view::npos) {
        const std::string before = text.substr(0, bad);
        const auto line = 1 + std::count(before.begin(), before.end(), '\n');
        const std::size_t line_start = before.rfind('\n') == std::string::npos ? 0 : before.rfind('\n') + 1;
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
        const auto column = 1 + std::count_if(text.begin() + static_cast<std::ptrdiff_t>(line_start), text.begin() + static_cast<std::ptrdiff_t>(bad),
                                              [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }); // characters, not bytes
        SourcePos p{path, static_cast<int>(line), static_cast<int>(column)};
        throw DefinitionError(p.str() + ": the file is not UTF-8 (byte " + hex + "); save it as UTF-8 (in most editors: Save with encoding, UTF-8)");
    }
    const std::vector<std::string> lines = split_lines(text);
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        SourcePos p{path, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column)};
        throw DefinitionError(p.str() + ": TOML syntax error: " + syntax_error_text(e, lines));
    }

    for (const auto& [key, node] : root) {
        const std::string k(key.str());
        if (k != "study_area" && k != "territory") {
            defs.warnings.push_back(pos_of(node, path).str() + ": unknown key '" + k + "' ignored (expected [study_area] and [[territory]])");
        }
    }

    if (const toml::node* sa = root.get("study_area")) {
        const toml::table* t = sa->as_table();
        if (t == nullptr) throw DefinitionError(pos_of(*sa, path).str() + ": study_area must be a table: [study_area] then members = '...'");
        defs.study_area = parse_members(*t, "[study_area]", pos_of(*sa, path), lines);
        for (const auto& [key, node] : *t) {
            const std::string k(key.str());
            if (k != "members") defs.warnings.push_back(pos_of(node, path).str() + ": unknown key '" + k + "' in [study_area] ignored");
        }
    }

    const toml::node* list = root.get("territory");
    if (list == nullptr) {
        throw DefinitionError(path + ": no [[territory]] defined; add at least one:\n"
                              "[[territory]] id = \"...\" name = \"...\" members = 'epci(\"...\")'");
    }
    const toml::array* arr = list->as_array();
    if (arr == nullptr) throw DefinitionError(pos_of(*list, path).str() + ": 'territory' must be an array of tables: write [[territory]], not [territory]");

    std::set<std::string> ids;
    for (const toml::node& item : *arr) {
        const toml::table* t = item.as_table();
        const SourcePos at = pos_of(item, path);
        if (t == nullptr) throw DefinitionError(at.str() + ": each territory must be a table ([[territory]])");
        TerritoryDef def;
        def.pos = at;
        def.id = require_string(*t, "id", "[[territory]]", at);
        if (def.id.empty()) throw DefinitionError(at.str() + ": territory id must not be empty");
        if (!ids.insert(def.id).second) throw DefinitionError(at.str() + ": territory id \"" + def.id + "\" is defined twice; ids must be unique");
        def.name = t->contains("name") ? require_string(*t, "name", "territory \"" + def.id + "\"", at) : def.id;
        def.members = parse_members(*t, "territory \"" + def.id + "\"", at, lines);
        for (const auto& [key, node] : *t) {
            const std::string k(key.str());
            if (k != "id" && k != "name" && k != "members")
                defs.warnings.push_back(pos_of(node, path).str() + ": unknown key '" + k + "' in territory \"" + def.id + "\" ignored");
        }
        defs.territories.push_back(std::move(def));
    }
    return defs;
}

Definitions load_definitions(const std::string& path)
{
    // An ifstream opens a folder without error on Linux and then reads nothing, which would be
    // reported as "no [[territory]] defined"; say what is really wrong instead.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw DefinitionError("cannot read definitions file " + path + ": it is a folder; give the path of the .toml file");
    // A definitions file is a few kilobytes of TOML; a huge one is the wrong file, not one to parse.
    constexpr std::uintmax_t kMaxBytes = 4u << 20;
    if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes) {
        // In MB (2^20 bytes, as ls -lh) to one decimal rounded up, so that it always reads more than 4.
        const std::uintmax_t tenths = (size * 10 + (1u << 20) - 1) >> 20;
        const std::string mb = std::to_string(tenths / 10) + (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : "");
        throw DefinitionError("definitions file " + path + " is " + mb + " MB, more than the 4 MB a definitions file may be; is it the right file?");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DefinitionError("cannot read definitions file " + path + ": check the path and its permissions");
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw DefinitionError("cannot read definitions file " + path);
    return parse_definitions(buf.str(), path);
}

} // namespace cptsmap
