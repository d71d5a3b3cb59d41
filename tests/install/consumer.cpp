// Uses libcptsmap as an outside program would: parses an expression and normalises a name.
#include <cptsmap/definitions/expr_parser.hpp>
#include <cptsmap/names/normalize.hpp>
#include <cptsmap/version.hpp>

#include <iostream>

int main()
{
    const auto expr = cptsmap::parse_expression("epci(\"Dijon Métropole\") - commune(\"Fénay\")");
    std::cout << "cptsmap " << CPTSMAP_VERSION << ": " << (expr ? "parsed" : "not parsed") << ", "
              << cptsmap::normalize_name("Saint-Apollinaire") << "\n";
    return expr ? 0 : 1;
}
