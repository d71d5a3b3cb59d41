#pragma once
// JSON written as it goes, indented as nlohmann::json::dump(2) indents (report.json's layout, byte
// for byte): no document tree is built. report.json holds every territory's INSEE codes, figures
// and anomalies (5 MB for France); built as an nlohmann tree first, it took 0.1 s of allocations
// on a thread that shares the cores with the GeoJSON writers. Numbers are formatted by nlohmann's
// own routines, strings escaped as the GeoJSON writer escapes them (as nlohmann does for UTF-8).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

class JsonStream {
public:
    explicit JsonStream(std::string& out) : out_(out) {}

    void begin_object() { open('{', true); }
    void end_object() { close('}'); }
    void begin_array() { open('[', false); }
    void end_array() { close(']'); }
    // The key of the next member of the current object.
    JsonStream& key(std::string_view name);

    void value(std::string_view s);
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(std::int64_t v);
    void value(int v) { value(static_cast<std::int64_t>(v)); }
    void value(std::size_t v);
    void value(double v);
    void value(bool v);
    void null();
    // An array of strings.
    void value(const std::vector<std::string>& items);

private:
    std::string& out_;
    struct Level {
        bool object;
        bool empty = true;
    };
    std::vector<Level> levels_;
    bool after_key_ = false;

    void before_value(); // the separator, new line and indent an array element needs
    void indent();
    void open(char bracket, bool object);
    void close(char bracket);
};

} // namespace cptsmap
