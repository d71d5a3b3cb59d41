#pragma once
// A small recursive-descent parser for membership expressions, with line:column in its errors.
#include "cptsmap/definitions/expr.hpp"

#include <string_view>

namespace cptsmap {

// Parses `text`; `origin` is where its first character stands in the definitions file, so errors
// and positions in the AST point into the file. Throws DefinitionError "file:line:col: ...".
ExprPtr parse_expression(std::string_view text, const SourcePos& origin = {});

} // namespace cptsmap
