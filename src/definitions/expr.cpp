#include "cptsmap/definitions/expr.hpp"

namespace cptsmap {

std::string SourcePos::str() const
{
    std::string out = file.empty() ? std::string("<expression>") : file;
    return out + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string to_string(const Expr& e)
{
    switch (e.kind) {
    case Expr::Kind::Union: return "(" + to_string(*e.left) + " + " + to_string(*e.right) + ")";
    case Expr::Kind::Difference: return "(" + to_string(*e.left) + " - " + to_string(*e.right) + ")";
    case Expr::Kind::Intersection: return "(" + to_string(*e.left) + " & " + to_string(*e.right) + ")";
    case Expr::Kind::Call: break;
    }
    std::string out = e.function + "(";
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        out += "\"" + e.args[i].value + "\"";
    }
    if (e.share) out += ", share = \"" + e.share->value + "\"";
    return out + ")";
}

} // namespace cptsmap
