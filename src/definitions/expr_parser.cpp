#include "cptsmap/definitions/expr_parser.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/names/suggest.hpp"

#include <array>
#include <cctype>

namespace cptsmap {

namespace {

struct Signature {
    const char* name;
    bool takes_args; // all() takes none; the others one or more
};
constexpr std::array<Signature, 5> kFunctions = {{
    {"commune", true}, {"epci", true}, {"dep", true}, {"territory", true}, {"all", false},
}};

enum class Tok { End, Ident, String, LParen, RParen, Comma, Plus, Minus, Amp, Equals, Bad };

struct Token {
    Tok kind = Tok::End;
    std::string text;
    SourcePos pos;
};

std::string describe(const Token& t)
{
    switch (t.kind) {
    case Tok::End: return "the end of the expression";
    case Tok::Ident: return "'" + t.text + "'";
    case Tok::String: return "\"" + t.text + "\"";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::Comma: return "','";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Amp: return "'&'";
    case Tok::Equals: return "'='";
    case Tok::Bad: return "'" + t.text + "'";
    }
    return "?";
}

class Lexer {
public:
    Lexer(std::string_view text, const SourcePos& origin) : text_(text), origin_(origin) {}

    Token next()
    {
        skip_space_and_comments();
        Token t;
        t.pos = here();
        if (i_ >= text_.size()) return t;
        const char c = text_[i_];
        if (c == '(') return single(t, Tok::LParen);
        if (c == ')') return single(t, Tok::RParen);
        if (c == ',') return single(t, Tok::Comma);
        if (c == '+') return single(t, Tok::Plus);
        if (c == '-') return single(t, Tok::Minus);
        if (c == '&') return single(t, Tok::Amp);
        if (c == '=') return single(t, Tok::Equals);
        if (c == '"' || c == '\'') return string(t, c);
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            t.kind = Tok::Ident;
            while (i_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[i_])) || text_[i_] == '_')) t.text += advance();
            return t;
        }
        t.kind = Tok::Bad;
        t.text = read_code_point();
        return t;
    }

private:
    // Position of the next character in the file. Columns count characters, not bytes.
    SourcePos here() const
    {
        SourcePos p = origin_;
        p.line = origin_.line + line_;
        p.column = line_ == 0 ? origin_.column + column_ : 1 + column_;
        return p;
    }

    char advance()
    {
        const char c = text_[i_++];
        if (c == '\n') {
            ++line_;
            column_ = 0;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column_; // count UTF-8 lead bytes only
        }
        return c;
    }

    std::string read_code_point()
    {
        std::string out(1, advance());
        while (i_ < text_.size() && (static_cast<unsigned char>(text_[i_]) & 0xC0) == 0x80) out += text_[i_++];
        return out;
    }

    void skip_space_and_comments()
    {
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (c == '#') {
                while (i_ < text_.size() && text_[i_] != '\n') advance();
            } else if (std::isspace(static_cast<unsigned char>(c))) {
                advance();
            } else {
                break;
            }
        }
    }

    Token single(Token& t, Tok kind)
    {
        t.kind = kind;
        t.text = std::string(1, advance());
        return t;
    }

    Token string(Token& t, char quote)
    {
        advance();
        t.kind = Tok::String;
        while (true) {
            if (i_ >= text_.size() || text_[i_] == '\n') {
                throw DefinitionError(t.pos.str() + ": unterminated string: add the closing " + std::string(1, quote));
            }
            const char c = text_[i_];
            if (c == quote) {
                advance();
                return t;
            }
            if (c == '\\' && quote == '"' && i_ + 1 < text_.size()) {
                advance();
            }
            t.text += advance();
        }
    }

    std::string_view text_;
    SourcePos origin_;
    std::size_t i_ = 0;
    int line_ = 0;
    int column_ = 0;
};

// Limits that keep the recursion of the parser, of the resolver and of the AST's destructor far
// from the stack's end, whatever the input (found by fuzzing: 100,000 '(' overflowed the stack).
// Real definitions use a few operators: long lists go inside one commune("...", "...", ...).
constexpr int kMaxNesting = 64;     // parentheses inside parentheses
constexpr int kMaxOperators = 256; // + - & in one expression (bounds the depth of the tree)

class Parser {
public:
    Parser(std::string_view text, const SourcePos& origin) : lexer_(text, origin) { tok_ = lexer_.next(); }

    ExprPtr parse()
    {
        if (tok_.kind == Tok::End) throw DefinitionError(tok_.pos.str() + ": empty expression: write e.g. epci(\"Dijon Métropole\") - commune(\"Fénay\")");
        ExprPtr e = expr();
        if (tok_.kind != Tok::End) {
            std::string hint = tok_.kind == Tok::Ident || tok_.kind == Tok::LParen || tok_.kind == Tok::String
                                   ? ": join terms with + (union), - (difference) or & (intersection)"
                                   : "";
            throw DefinitionError(tok_.pos.str() + ": unexpected " + describe(tok_) + hint);
        }
        return e;
    }

private:
    void next() { tok_ = lexer_.next(); }

    void count_operator()
    {
        if (++operators_ > kMaxOperators) {
            throw DefinitionError(tok_.pos.str() + ": more than " + std::to_string(kMaxOperators) +
                                  " operators in one expression; list the communes in one commune(\"...\", \"...\") instead");
        }
    }

    ExprPtr expr()
    {
        ExprPtr left = term();
        while (tok_.kind == Tok::Plus || tok_.kind == Tok::Minus) {
            auto node = std::make_unique<Expr>();
            node->kind = tok_.kind == Tok::Plus ? Expr::Kind::Union : Expr::Kind::Difference;
            node->pos = tok_.pos;
            count_operator();
            next();
            node->left = std::move(left);
            node->right = term();
            left = std::move(node);
        }
        return left;
    }

    ExprPtr term()
    {
        ExprPtr left = factor();
        while (tok_.kind == Tok::Amp) {
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::Intersection;
            node->pos = tok_.pos;
            count_operator();
            next();
            node->left = std::move(left);
            node->right = factor();
            left = std::move(node);
        }
        return left;
    }

    ExprPtr factor()
    {
        if (tok_.kind == Tok::LParen) {
            const SourcePos open = tok_.pos;
            if (++nesting_ > kMaxNesting)
                throw DefinitionError(open.str() + ": parentheses nested more than " + std::to_string(kMaxNesting) + " deep; simplify the expression");
            next();
            ExprPtr inner = expr();
            --nesting_;
            if (tok_.kind != Tok::RParen) {
                throw DefinitionError(tok_.pos.str() + ": expected ')' to close the '(' at " + std::to_string(open.line) + ":" +
                                      std::to_string(open.column) + ", found " + describe(tok_));
            }
            next();
            return inner;
        }
        if (tok_.kind == Tok::Ident) return call();
        if (tok_.kind == Tok::String) {
            throw DefinitionError(tok_.pos.str() + ": a bare string (\"" + tok_.text + "\")" +
                                  " is not a set of communes: wrap it in a selector, e.g. commune(\"" + tok_.text + "\") or epci(\"" + tok_.text + "\")");
        }
        throw DefinitionError(tok_.pos.str() + ": expected a selector (commune, epci, dep, territory, all) or '(', found " + describe(tok_));
    }

    ExprPtr call()
    {
        auto node = std::make_unique<Expr>();
        node->kind = Expr::Kind::Call;
        node->pos = tok_.pos;
        node->function = tok_.text;
        const Signature* sig = nullptr;
        for (const auto& s : kFunctions)
            if (node->function == s.name) sig = &s;
        if (sig == nullptr) {
            std::vector<std::string> names;
            for (const auto& s : kFunctions) names.emplace_back(s.name);
            auto best = closest(node->function, names, 1);
            std::string hint = best.empty() ? "" : "; did you mean " + names[best.front()] + "()?";
            throw DefinitionError(node->pos.str() + ": unknown selector '" + node->function +
                                  "' (known: commune, epci, dep, territory, all)" + hint);
        }
        next();
        if (tok_.kind != Tok::LParen) {
            throw DefinitionError(tok_.pos.str() + ": expected '(' after " + node->function + ", found " + describe(tok_));
        }
        next();
        if (tok_.kind != Tok::RParen) {
            while (true) {
                if (tok_.kind == Tok::Ident && tok_.text == "share") {
                    share_argument(*node);
                    if (tok_.kind == Tok::RParen) break;
                    throw DefinitionError(tok_.pos.str() + ": share = \"...\" comes last in " + node->function + "(), found " + describe(tok_) +
                                          " after it");
                }
                if (tok_.kind != Tok::String) {
                    throw DefinitionError(tok_.pos.str() + ": expected a quoted name or code as argument of " + node->function +
                                          "(), found " + describe(tok_) + (tok_.kind == Tok::Ident ? " (put names and codes in quotes)" : ""));
                }
                node->args.push_back(Arg{tok_.text, tok_.pos});
                next();
                if (tok_.kind == Tok::Comma) {
                    next();
                    continue;
                }
                if (tok_.kind == Tok::RParen) break;
                throw DefinitionError(tok_.pos.str() + ": expected ',' or ')' in the arguments of " + node->function + "(), found " + describe(tok_));
            }
        }
        next(); // ')'
        if (sig->takes_args && node->args.empty()) {
            throw DefinitionError(node->pos.str() + ": " + node->function + "() needs at least one name or code");
        }
        if (!sig->takes_args && !node->args.empty()) {
            throw DefinitionError(node->pos.str() + ": " + node->function + "() takes no argument");
        }
        for (const auto& a : node->args) {
            if (a.value.find_first_not_of(" \t") == std::string::npos)
                throw DefinitionError(a.pos.str() + ": empty name in " + node->function + "()");
        }
        return node;
    }

    // share = "label", the last argument of commune(): the communes are claimed as a declared share
    // (a district, IRIS...), which other territories may claim too without an overlap.
    void share_argument(Expr& node)
    {
        const SourcePos at = tok_.pos;
        if (node.function != "commune") {
            throw DefinitionError(at.str() + ": share = \"...\" applies to commune() only (a commune split between territories), not to " +
                                  node.function + "()");
        }
        next();
        if (tok_.kind != Tok::Equals) throw DefinitionError(tok_.pos.str() + ": expected '=' after share, found " + describe(tok_));
        next();
        if (tok_.kind != Tok::String) {
            throw DefinitionError(tok_.pos.str() + ": expected a quoted label after share =, e.g. share = \"nord\", found " + describe(tok_));
        }
        if (tok_.text.find_first_not_of(" \t") == std::string::npos) throw DefinitionError(tok_.pos.str() + ": empty share label in commune()");
        node.share = Arg{tok_.text, tok_.pos};
        next();
    }

    Lexer lexer_;
    Token tok_;
    int nesting_ = 0;
    int operators_ = 0;
};

} // namespace

ExprPtr parse_expression(std::string_view text, const SourcePos& origin)
{
    Parser parser(text, origin);
    return parser.parse();
}

} // namespace cptsmap
