#include "cptsmap/export/csv.hpp"

#include "cptsmap/error.hpp"

namespace cptsmap {

std::string csv_line(const std::vector<std::string>& fields)
{
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        const std::string& f = fields[i];
        if (f.find_first_of(",\"\n\r") == std::string::npos) {
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
    return out + "\n";
}

CsvFile::CsvFile(const std::string& path) : path_(path), out_(path, std::ios::binary)
{
    if (!out_) throw OutputError("cannot write " + path + "; check the folder exists and is writable");
}

void CsvFile::row(const std::vector<std::string>& fields) { out_ << csv_line(fields); }

void CsvFile::close()
{
    out_.close();
    if (!out_) throw OutputError("writing " + path_ + " failed (disk full?); nothing was replaced");
}

} // namespace cptsmap
