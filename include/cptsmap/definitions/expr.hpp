#pragma once
// The abstract syntax tree of a membership expression:
//   expr   := term (('+' | '-') term)*       union, difference (left-associative)
//   term   := factor ('&' factor)*           intersection binds tighter than + and -
//   factor := '(' expr ')' | call
//   call   := name '(' [string (',' string)*] [',' share] ')'
//   share  := 'share' '=' string             commune() only: a declared share of the communes
// Calls: commune(...), epci(...), dep(...), territory(...), all().
// commune("Nice", share = "nord") claims Nice as a share (a district, IRIS...): territories that
// each claim a declared share of a commune share it, they do not overlap there.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

// A place in the definitions file (1-based), for messages "file:line:column".
struct SourcePos {
    std::string file;
    int line = 1;
    int column = 1;
    std::string str() const;
};

struct Arg {
    std::string value;
    SourcePos pos;
};

struct Expr {
    enum class Kind { Union, Difference, Intersection, Call };
    Kind kind = Kind::Call;
    SourcePos pos;
    // Call
    std::string function;
    std::vector<Arg> args;
    std::optional<Arg> share; // commune(..., share = "label")
    // Union, Difference, Intersection
    std::unique_ptr<Expr> left;
    std::unique_ptr<Expr> right;
};
using ExprPtr = std::unique_ptr<Expr>;

// Prints the expression back in canonical form (for messages and tests).
std::string to_string(const Expr& e);

} // namespace cptsmap
