#include "cptsmap/definitions/expr_parser.hpp"

#include "cptsmap/error.hpp"

#include <catch2/catch.hpp>

#include <string>

using cptsmap::DefinitionError;
using cptsmap::Expr;
using cptsmap::parse_expression;
using cptsmap::SourcePos;

namespace {

// Parses and prints back in canonical form.
std::string canon(const std::string& text)
{
    return cptsmap::to_string(*parse_expression(text));
}

SourcePos origin(const std::string& file, int line, int column)
{
    SourcePos p;
    p.file = file;
    p.line = line;
    p.column = column;
    return p;
}

} // namespace

// ---- structure ---------------------------------------------------------------------------------

TEST_CASE("a single call parses to a Call node with its function name and argument", "[definitions]")
{
    const auto e = parse_expression(R"(commune("Dijon"))");
    REQUIRE(e != nullptr);
    CHECK(e->kind == Expr::Kind::Call);
    CHECK(e->function == "commune");
    REQUIRE(e->args.size() == 1);
    CHECK(e->args[0].value == "Dijon");
    CHECK(e->left == nullptr);
    CHECK(e->right == nullptr);
    CHECK(cptsmap::to_string(*e) == R"(commune("Dijon"))");
}

TEST_CASE("every selector is accepted", "[definitions]")
{
    CHECK(canon(R"(commune("21231"))") == R"(commune("21231"))");
    CHECK(canon(R"(epci("Dijon Métropole"))") == R"(epci("Dijon Métropole"))");
    CHECK(canon(R"(dep("21"))") == R"(dep("21"))");
    CHECK(canon(R"(territory("centre-21"))") == R"(territory("centre-21"))");
    CHECK(canon("all()") == "all()");
}

TEST_CASE("all() is a call without arguments", "[definitions]")
{
    const auto e = parse_expression("  all ( )  ");
    CHECK(e->kind == Expr::Kind::Call);
    CHECK(e->function == "all");
    CHECK(e->args.empty());
}

TEST_CASE("& binds tighter than + and -", "[definitions]")
{
    CHECK(canon(R"(commune("a") + commune("b") & commune("c"))") == R"((commune("a") + (commune("b") & commune("c"))))");
    CHECK(canon(R"(commune("a") & commune("b") + commune("c"))") == R"(((commune("a") & commune("b")) + commune("c")))");
    CHECK(canon(R"(commune("a") - commune("b") & commune("c"))") == R"((commune("a") - (commune("b") & commune("c"))))");
    CHECK(canon(R"(commune("a") & commune("b") - commune("c"))") == R"(((commune("a") & commune("b")) - commune("c")))");
}

TEST_CASE("+ and - are left-associative and of equal precedence", "[definitions]")
{
    CHECK(canon(R"(commune("a") - commune("b") - commune("c"))") == R"(((commune("a") - commune("b")) - commune("c")))");
    CHECK(canon(R"(commune("a") + commune("b") - commune("c"))") == R"(((commune("a") + commune("b")) - commune("c")))");
    CHECK(canon(R"(commune("a") - commune("b") + commune("c"))") == R"(((commune("a") - commune("b")) + commune("c")))");
}

TEST_CASE("& is left-associative", "[definitions]")
{
    CHECK(canon(R"(commune("a") & commune("b") & commune("c"))") == R"(((commune("a") & commune("b")) & commune("c")))");
}

TEST_CASE("operators build nodes of the matching kind", "[definitions]")
{
    CHECK(parse_expression(R"(dep("21") + dep("52"))")->kind == Expr::Kind::Union);
    CHECK(parse_expression(R"(dep("21") - dep("52"))")->kind == Expr::Kind::Difference);
    CHECK(parse_expression(R"(dep("21") & dep("52"))")->kind == Expr::Kind::Intersection);
    const auto e = parse_expression(R"(dep("21") - commune("Fénay"))");
    REQUIRE(e->left != nullptr);
    REQUIRE(e->right != nullptr);
    CHECK(e->left->function == "dep");
    CHECK(e->right->function == "commune");
    CHECK(e->right->args.at(0).value == "Fénay");
}

TEST_CASE("parentheses override precedence", "[definitions]")
{
    CHECK(canon(R"(commune("a") - (commune("b") + commune("c")))") == R"((commune("a") - (commune("b") + commune("c"))))");
    CHECK(canon(R"((commune("a") + commune("b")) & commune("c"))") == R"(((commune("a") + commune("b")) & commune("c")))");
    CHECK(canon(R"(((commune("a"))))") == R"(commune("a"))");
}

TEST_CASE("a call takes several comma-separated arguments", "[definitions]")
{
    const auto e = parse_expression(R"(commune("Fénay", "21231" , 'Chevigny-Saint-Sauveur'))");
    REQUIRE(e->args.size() == 3);
    CHECK(e->args[0].value == "Fénay");
    CHECK(e->args[1].value == "21231");
    CHECK(e->args[2].value == "Chevigny-Saint-Sauveur");
    CHECK(cptsmap::to_string(*e) == R"(commune("Fénay", "21231", "Chevigny-Saint-Sauveur"))");
}

TEST_CASE("single and double quoted strings give the same argument", "[definitions]")
{
    CHECK(canon(R"(commune('Dijon'))") == canon(R"(commune("Dijon"))"));
    // Each kind of quote may contain the other.
    CHECK(parse_expression(R"(commune("L'Isle"))")->args.at(0).value == "L'Isle");
    CHECK(parse_expression(R"(commune('Le "Bourg"'))")->args.at(0).value == R"(Le "Bourg")");
}

TEST_CASE("a backslash escapes the next character in a double quoted string only", "[definitions]")
{
    CHECK(parse_expression(R"(commune("a\"b"))")->args.at(0).value == R"(a"b)");
    CHECK(parse_expression(R"(commune('a\b'))")->args.at(0).value == R"(a\b)");
}

TEST_CASE("comments run from # to the end of the line and newlines are whitespace", "[definitions]")
{
    const std::string text = "# Centre Côte-d'Or\n"
                             "epci(\"Dijon Métropole\")   # the métropole\n"
                             "  - commune(\"Fénay\")     # already in CPTS Sud\n"
                             "# the end\n";
    CHECK(canon(text) == R"((epci("Dijon Métropole") - commune("Fénay")))");
}

TEST_CASE("a # inside a quoted string is not a comment", "[definitions]")
{
    CHECK(parse_expression(R"(commune("a#b"))")->args.at(0).value == "a#b");
}

// ---- positions ---------------------------------------------------------------------------------

TEST_CASE("positions of calls and arguments start at 1:1 without an origin", "[definitions]")
{
    const auto e = parse_expression(R"(commune("a") + epci("b", "c"))");
    CHECK(e->pos.file.empty());
    CHECK(e->pos.line == 1);
    CHECK(e->pos.column == 14); // the '+'
    CHECK(e->left->pos.line == 1);
    CHECK(e->left->pos.column == 1);
    CHECK(e->left->args.at(0).pos.column == 9); // the opening quote
    CHECK(e->right->pos.column == 16);
    CHECK(e->right->args.at(0).pos.column == 21);
    CHECK(e->right->args.at(1).pos.column == 26);
}

TEST_CASE("positions on later lines start again at column 1", "[definitions]")
{
    const auto e = parse_expression("commune(\"a\")\n  - epci(\"b\")\n\t& all()");
    // a - (b & all())
    REQUIRE(e->kind == Expr::Kind::Difference);
    CHECK(e->pos.line == 2);
    CHECK(e->pos.column == 3);
    const Expr& b = *e->right->left;
    CHECK(b.function == "epci");
    CHECK(b.pos.line == 2);
    CHECK(b.pos.column == 5);
    CHECK(b.args.at(0).pos.line == 2);
    CHECK(b.args.at(0).pos.column == 10);
    const Expr& all = *e->right->right;
    CHECK(all.function == "all");
    CHECK(all.pos.line == 3);
    CHECK(all.pos.column == 4); // a tab counts as one column
}

TEST_CASE("an origin shifts the first line by its column and later lines by its line", "[definitions]")
{
    // As if the expression started at column 15 of line 7 of defs.toml: members = '<here>
    const auto e = parse_expression("commune(\"a\")\n+ epci(\"b\")", origin("defs.toml", 7, 15));
    REQUIRE(e->kind == Expr::Kind::Union);
    const Expr& a = *e->left;
    CHECK(a.pos.file == "defs.toml");
    CHECK(a.pos.line == 7);
    CHECK(a.pos.column == 15);
    CHECK(a.args.at(0).pos.file == "defs.toml");
    CHECK(a.args.at(0).pos.line == 7);
    CHECK(a.args.at(0).pos.column == 23);
    CHECK(e->pos.line == 8);
    CHECK(e->pos.column == 1);
    const Expr& b = *e->right;
    CHECK(b.pos.file == "defs.toml");
    CHECK(b.pos.line == 8);
    CHECK(b.pos.column == 3);
    CHECK(b.args.at(0).pos.line == 8);
    CHECK(b.args.at(0).pos.column == 8);
    CHECK(b.pos.str() == "defs.toml:8:3");
}

TEST_CASE("an origin starting at a new line puts the first line at column 1", "[definitions]")
{
    const auto e = parse_expression("\n\n   dep(\"21\")", origin("defs.toml", 4, 12));
    CHECK(e->pos.line == 6);
    CHECK(e->pos.column == 4);
    CHECK(e->args.at(0).pos.column == 8);
}

TEST_CASE("columns count UTF-8 characters, not bytes", "[definitions]")
{
    // "Fénay" is five characters but six bytes.
    const auto e = parse_expression(R"(commune("Fénay", "Œuilly") + dep("21"))");
    CHECK(e->left->args.at(0).pos.column == 9);
    CHECK(e->left->args.at(1).pos.column == 18);
    CHECK(e->pos.column == 28);
    CHECK(e->right->pos.column == 30);
    // Accented characters in comments do not disturb the line count of what follows.
    const auto c = parse_expression("dep(\"21\") # Côte-d'Or\n+ dep(\"52\") # é è\n- commune(\"Langres\")",
                                    origin("f.toml", 1, 5));
    CHECK(c->pos.line == 3);
    CHECK(c->pos.column == 1);
    CHECK(c->right->pos.column == 3);
}

TEST_CASE("errors after a non-ASCII character report the character column", "[definitions]")
{
    CHECK_THROWS_WITH(parse_expression(R"(commune("Fénay") ?)"), Catch::Contains("<expression>:1:18"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("Fénay") ?)", origin("defs.toml", 3, 13)),
                      Catch::Contains("defs.toml:3:30"));
}

// ---- errors ------------------------------------------------------------------------------------

TEST_CASE("an unknown selector is reported with the closest known one", "[definitions]")
{
    const std::string text = R"(comune("Dijon"))";
    CHECK_THROWS_AS(parse_expression(text), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(text), Catch::Contains("1:1") && Catch::Contains("unknown selector 'comune'") &&
                                                  Catch::Contains("did you mean commune()?"));
    CHECK_THROWS_WITH(parse_expression(R"(dep("21") + epic("CC"))"),
                      Catch::Contains("1:13") && Catch::Contains("did you mean epci()?"));
    CHECK_THROWS_WITH(parse_expression(R"(territoire("sud"))"), Catch::Contains("did you mean territory()?"));
}

TEST_CASE("an unknown selector far from every known one lists them without a guess", "[definitions]")
{
    const std::string text = R"(departement("21"))";
    CHECK_THROWS_AS(parse_expression(text), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(text), Catch::Contains("known: commune, epci, dep, territory, all") &&
                                                  !Catch::Contains("did you mean"));
}

TEST_CASE("selectors are case-sensitive", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(Commune("Dijon"))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(Commune("Dijon"))"), Catch::Contains("did you mean commune()?"));
}

TEST_CASE("an unknown selector is reported at its position in the file", "[definitions]")
{
    CHECK_THROWS_WITH(parse_expression("dep(\"21\")\n  - comune(\"Fénay\")", origin("defs.toml", 10, 11)),
                      Catch::StartsWith("defs.toml:11:5: unknown selector 'comune'"));
}

TEST_CASE("a missing closing parenthesis is reported where it was expected", "[definitions]")
{
    const std::string text = R"((commune("a") + epci("b"))";
    CHECK_THROWS_AS(parse_expression(text), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(text), Catch::Contains("1:26") && Catch::Contains("expected ')'") &&
                                                  Catch::Contains("'(' at 1:1") &&
                                                  Catch::Contains("the end of the expression"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("a" epci("b"))"),
                      Catch::Contains("1:13") && Catch::Contains("expected ',' or ')'"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("a")"), Catch::Contains("1:12") && Catch::Contains("expected ',' or ')'"));
}

TEST_CASE("an unterminated string is reported at its opening quote", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune("Dijon))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune("Dijon))"),
                      Catch::Contains("1:9") && Catch::Contains("unterminated string") && Catch::Contains("closing \""));
    CHECK_THROWS_WITH(parse_expression(R"(commune('Dijon))"),
                      Catch::Contains("1:9") && Catch::Contains("unterminated string") && Catch::Contains("closing '"));
    // A string does not run on to the next line.
    CHECK_THROWS_WITH(parse_expression("commune(\"Dijon\n\")"), Catch::Contains("1:9") && Catch::Contains("unterminated string"));
    // An escaped quote does not close the string.
    CHECK_THROWS_WITH(parse_expression(R"(commune("Dijon\"))"), Catch::Contains("unterminated string"));
}

TEST_CASE("a bare string is rejected with a hint to wrap it in a selector", "[definitions]")
{
    const std::string text = R"(epci("Dijon Métropole") - "Fénay")";
    CHECK_THROWS_AS(parse_expression(text), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(text), Catch::Contains("1:27") && Catch::Contains("a bare string") &&
                                                  Catch::Contains(R"(commune("Fénay"))"));
    CHECK_THROWS_WITH(parse_expression(R"("Dijon")"), Catch::Contains("1:1") && Catch::Contains("a bare string"));
}

TEST_CASE("commune() without arguments is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression("commune()"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression("dep(\"21\") - commune()"),
                      Catch::Contains("1:13") && Catch::Contains("commune() needs at least one name or code"));
    CHECK_THROWS_WITH(parse_expression("epci( )"), Catch::Contains("epci() needs at least one"));
}

TEST_CASE("all() with an argument is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(all("x"))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(all("x"))"), Catch::Contains("1:1") && Catch::Contains("all() takes no argument"));
}

TEST_CASE("an empty or blank argument is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune(""))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune("a", "  "))"),
                      Catch::Contains("1:14") && Catch::Contains("empty name in commune()"));
}

TEST_CASE("trailing garbage after a complete expression is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune("a") commune("b"))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune("a") commune("b"))"),
                      Catch::Contains("1:14") && Catch::Contains("unexpected 'commune'") &&
                          Catch::Contains("join terms with +"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("a")))"), Catch::Contains("1:13") && Catch::Contains("unexpected ')'"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("a") * commune("b"))"),
                      Catch::Contains("1:14") && Catch::Contains("unexpected '*'"));
    CHECK_THROWS_WITH(parse_expression(R"(commune("a") "b")"),
                      Catch::Contains("1:14") && Catch::Contains("unexpected \"b\""));
}

TEST_CASE("an operator without a right operand is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune("a") +)"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune("a") + )"),
                      Catch::Contains("1:16") && Catch::Contains("expected a selector") &&
                          Catch::Contains("the end of the expression"));
    CHECK_THROWS_WITH(parse_expression(R"(+ commune("a"))"), Catch::Contains("1:1") && Catch::Contains("expected a selector"));
}

TEST_CASE("an empty expression is rejected with an example", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(""), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(""), Catch::Contains("1:1") && Catch::Contains("empty expression"));
    CHECK_THROWS_WITH(parse_expression("  \n  # nothing yet\n"), Catch::Contains("3:1") && Catch::Contains("empty expression"));
    CHECK_THROWS_WITH(parse_expression("", origin("defs.toml", 5, 12)), Catch::StartsWith("defs.toml:5:12: empty expression"));
}

TEST_CASE("an unquoted argument is rejected with a hint to quote it", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression("commune(Dijon)"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression("commune(Dijon)"), Catch::Contains("1:9") && Catch::Contains("quoted name or code") &&
                                                             Catch::Contains("put names and codes in quotes"));
    CHECK_THROWS_WITH(parse_expression("dep(21)"), Catch::Contains("1:5") && Catch::Contains("quoted name or code"));
}

TEST_CASE("a selector without parentheses is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune "Dijon")"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune "Dijon")"), Catch::Contains("1:9") && Catch::Contains("expected '(' after commune"));
}

TEST_CASE("a trailing comma in the arguments is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_expression(R"(commune("a",))"), DefinitionError);
    CHECK_THROWS_WITH(parse_expression(R"(commune("a",))"), Catch::Contains("1:13") && Catch::Contains("quoted name or code"));
}

TEST_CASE("parentheses nested past the limit are an error, not a stack overflow", "[definitions]")
{
    const std::string deep = std::string(100000, '(') + "all()" + std::string(100000, ')');
    CHECK_THROWS_WITH(parse_expression(deep), Catch::Contains("1:65: parentheses nested more than 64 deep"));
    const std::string ok = std::string(64, '(') + "all()" + std::string(64, ')');
    CHECK(parse_expression(ok)->function == "all");
}

TEST_CASE("an expression with more operators than the limit is an error suggesting one commune() list", "[definitions]")
{
    std::string chain = "all()";
    for (int i = 0; i < 300; ++i) chain += " + all()";
    CHECK_THROWS_WITH(parse_expression(chain), Catch::Contains("more than 256 operators in one expression") && Catch::Contains("commune("));
    std::string ok = "all()";
    for (int i = 0; i < 256; ++i) ok += " - all()";
    CHECK(parse_expression(ok)->kind == Expr::Kind::Difference);
}
