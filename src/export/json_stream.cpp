#include "cptsmap/export/json_stream.hpp"

#include "cptsmap/export/geojson_text.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>

namespace cptsmap {

void JsonStream::indent() { out_.append(2 * levels_.size(), ' '); }

void JsonStream::before_value()
{
    if (after_key_) { // a member's value follows its key on the same line
        after_key_ = false;
        return;
    }
    if (levels_.empty()) return; // the document itself
    Level& level = levels_.back();
    out_ += level.empty ? "\n" : ",\n";
    level.empty = false;
    indent();
}

JsonStream& JsonStream::key(std::string_view name)
{
    Level& level = levels_.back();
    out_ += level.empty ? "\n" : ",\n";
    level.empty = false;
    indent();
    append_json_string(out_, name);
    out_ += ": ";
    after_key_ = true;
    return *this;
}

void JsonStream::open(char bracket, bool object)
{
    before_value();
    out_ += bracket;
    levels_.push_back(Level{object});
}

void JsonStream::close(char bracket)
{
    const bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty) {
        out_ += '\n';
        indent();
    }
    out_ += bracket;
}

void JsonStream::value(std::string_view s)
{
    before_value();
    append_json_string(out_, s);
}

void JsonStream::value(std::int64_t v)
{
    before_value();
    append_json_integer(out_, v);
}

void JsonStream::value(std::size_t v)
{
    before_value();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void JsonStream::value(double v)
{
    before_value();
    if (!std::isfinite(v)) {
        out_ += "null"; // as nlohmann writes NaN and infinities
        return;
    }
    char buf[64];
    out_.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, v));
}

void JsonStream::value(bool v)
{
    before_value();
    out_ += v ? "true" : "false";
}

void JsonStream::null()
{
    before_value();
    out_ += "null";
}

void JsonStream::value(const std::vector<std::string>& items)
{
    begin_array();
    for (const auto& s : items) value(s);
    end_array();
}

} // namespace cptsmap
