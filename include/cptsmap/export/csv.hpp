#pragma once
// CSV text as spreadsheets read it (RFC 4180): comma-separated, fields quoted when they hold a comma,
// a quote or a line break, quotes doubled, CRLF-free "\n" line ends, UTF-8 without BOM.
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

std::string csv_line(const std::vector<std::string>& fields);

// A CSV file being written; close() checks that every byte reached the disk (throws OutputError).
class CsvFile {
public:
    explicit CsvFile(const std::string& path);
    void row(std::initializer_list<std::string_view> fields);
    void close();

private:
    std::string path_;
    std::ofstream out_;
    std::string line_;
};

} // namespace cptsmap
