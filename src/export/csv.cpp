#include "cptsmap/export/csv.hpp"

#include "cptsmap/error.hpp"

namespace cptsmap {

namespace {

template <typename Fields>
void append_csv_line(std::string& out, const Fields& fields)
{
    bool first = true;
    for (std::string_view f : fields) {
        if (!first) out += ',';
        first = false;
        if (f.find_first_of(",\"\n\r") == std::string_view::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    out += '\n';
}

} // namespace

std::string csv_line(const std::vector<std::string>& fields)
{
    std::string out;
    append_csv_line(out, fields);
    return out;
}

CsvFile::CsvFile(const std::string& path) : path_(path), out_(path, std::ios::binary)
{
    if (!out_) throw OutputError("cannot write " + path + "; check the folder exists and is writable");
}

void CsvFile::row(std::initializer_list<std::string_view> fields)
{
    line_.clear();
    append_csv_line(line_, fields);
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

void CsvFile::close()
{
    out_.close();
    if (!out_) throw OutputError("writing " + path_ + " failed (disk full?); nothing was replaced");
}

} // namespace cptsmap
