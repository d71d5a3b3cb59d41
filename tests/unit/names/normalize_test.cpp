#include "cptsmap/names/normalize.hpp"

#include <catch2/catch.hpp>

#include <string>

using cptsmap::epci_key;
using cptsmap::looks_like_insee_code;
using cptsmap::looks_like_siren;
using cptsmap::normalize_name;

TEST_CASE("normalize_name lowers the case of ASCII letters", "[names]")
{
    CHECK(normalize_name("DIJON") == "dijon");
    CHECK(normalize_name("Dijon") == "dijon");
    CHECK(normalize_name("dIjOn") == "dijon");
}

TEST_CASE("normalize_name keeps digits", "[names]")
{
    CHECK(normalize_name("Paris 15e Arrondissement") == "paris 15e arrondissement");
}

TEST_CASE("normalize_name removes the accents French names carry", "[names]")
{
    CHECK(normalize_name("Fénay") == "fenay");
    CHECK(normalize_name("Arcenant-lès-Nuits") == "arcenant les nuits");
    CHECK(normalize_name("Crêt") == "cret");
    CHECK(normalize_name("Côte") == "cote");
    CHECK(normalize_name("Île") == "ile");
    CHECK(normalize_name("Mâcon") == "macon");
    CHECK(normalize_name("Aïn") == "ain");
    CHECK(normalize_name("Ürsel") == "ursel");
    CHECK(normalize_name("Besançon") == "besancon");
}

TEST_CASE("normalize_name folds upper-case accented letters to lower-case ASCII", "[names]")
{
    CHECK(normalize_name("ÉCHIREY") == "echirey");
    CHECK(normalize_name("Échirey") == "echirey");
    CHECK(normalize_name("ÈÊËÀÂÎÏÔÙÛÜÇ") == "eeeaaiiouuuc");
}

TEST_CASE("normalize_name expands the oe and ae ligatures", "[names]")
{
    CHECK(normalize_name("Chambœuf") == "chamboeuf");
    CHECK(normalize_name("ŒUILLY") == "oeuilly");
    CHECK(normalize_name("Lætitia") == "laetitia");
    CHECK(normalize_name("ÆRØ") == "aero");
}

TEST_CASE("normalize_name folds the German sharp s to ss", "[names]")
{
    CHECK(normalize_name("Straße") == "strasse");
}

TEST_CASE("normalize_name drops decomposed combining accents", "[names]")
{
    // "Fe" + U+0301 COMBINING ACUTE ACCENT + "nay": the NFD spelling of "Fénay".
    const std::string decomposed = "Fe\xCC\x81nay";
    CHECK(normalize_name(decomposed) == "fenay");
    CHECK(normalize_name(decomposed) == normalize_name("Fénay"));
}

TEST_CASE("normalize_name turns hyphens and apostrophes into single spaces", "[names]")
{
    CHECK(normalize_name("Nuits-Saint-Georges") == "nuits saint georges");
    CHECK(normalize_name("Val-d'Oise") == "val d oise");
    CHECK(normalize_name("Val-d\u2019Oise") == "val d oise");
    CHECK(normalize_name("L'Isle-sur-le-Doubs") == "l isle sur le doubs");
    CHECK(normalize_name("Côte-d'Or") == normalize_name("Côte-d\u2019Or"));
}

TEST_CASE("normalize_name collapses runs of spaces and punctuation and trims the ends", "[names]")
{
    CHECK(normalize_name("  Nuits -- Saint   Georges  ") == "nuits saint georges");
    CHECK(normalize_name("Dijon.") == "dijon");
    CHECK(normalize_name("\tDijon\n") == "dijon");
}

TEST_CASE("normalize_name of an empty or punctuation-only name is empty", "[names]")
{
    CHECK(normalize_name("").empty());
    CHECK(normalize_name(" - ' ").empty());
}

TEST_CASE("normalize_name expands the abbreviations St and Ste", "[names]")
{
    CHECK(normalize_name("St-Apollinaire") == "saint apollinaire");
    CHECK(normalize_name("ST APOLLINAIRE") == "saint apollinaire");
    CHECK(normalize_name("Ste-Marie-sur-Ouche") == "sainte marie sur ouche");
    CHECK(normalize_name("Ste Colombe") == normalize_name("Sainte-Colombe"));
}

TEST_CASE("normalize_name only expands St and Ste as whole words", "[names]")
{
    CHECK(normalize_name("Stenay") == "stenay");
    CHECK(normalize_name("Estrées") == "estrees");
}

TEST_CASE("normalize_name treats lès, les and lez alike", "[names]")
{
    const std::string expected = "villers les pots";
    CHECK(normalize_name("Villers-lès-Pots") == expected);
    CHECK(normalize_name("Villers-les-Pots") == expected);
    CHECK(normalize_name("Villers-lez-Pots") == expected);
    CHECK(normalize_name("VILLERS LÈS POTS") == expected);
}

TEST_CASE("a trailing article in brackets moves to the front", "[names]")
{
    CHECK(normalize_name("Riceys (Les)") == "les riceys");
    CHECK(normalize_name("Riceys (Les)") == normalize_name("Les Riceys"));
    CHECK(normalize_name("Bouchet (Le)") == normalize_name("Le Bouchet"));
    CHECK(normalize_name("Chapelle (La)") == normalize_name("La Chapelle"));
    CHECK(normalize_name("Isle (L')") == normalize_name("L'Isle"));
}

TEST_CASE("a trailing article without brackets stays where it is", "[names]")
{
    CHECK(normalize_name("Riceys Les") == "riceys les");
    CHECK(normalize_name("Riceys Les") != normalize_name("Les Riceys"));
}

TEST_CASE("normalize_name matches the official and the loosely typed names of Côte-d'Or communes", "[names]")
{
    CHECK(normalize_name("Asnières-lès-Dijon") == normalize_name("Asnieres-les-Dijon"));
    CHECK(normalize_name("Asnières-lès-Dijon") == normalize_name("asnieres les dijon"));
    CHECK(normalize_name("Chambœuf") == normalize_name("Chamboeuf"));
    CHECK(normalize_name("Ruffey-lès-Échirey") == normalize_name("Ruffey-les-Echirey"));
    CHECK(normalize_name("Ruffey-lès-Échirey") == normalize_name("RUFFEY LEZ ECHIREY"));
    CHECK(normalize_name("Morey-Saint-Denis") == normalize_name("Morey-St-Denis"));
    CHECK(normalize_name("Sainte-Marie-la-Blanche") == normalize_name("Ste Marie la Blanche"));
    CHECK(normalize_name("Côte-d'Or") == normalize_name("cote d or"));
}

TEST_CASE("normalize_name keeps apart names that differ by more than spelling", "[names]")
{
    CHECK(normalize_name("Saint-Julien") != normalize_name("Sainte-Julie"));
    CHECK(normalize_name("Saint-Julien") != normalize_name("Saint-Julie"));
    CHECK(normalize_name("Saint-Julien") != normalize_name("Sainte-Julien"));
    CHECK(normalize_name("Flacey") != normalize_name("Flacey-en-Bresse"));
    CHECK(normalize_name("Is-sur-Tille") != normalize_name("Issur Tille"));
    CHECK(normalize_name("Marcilly-sur-Tille") != normalize_name("Marcilly-lès-Buxy"));
}

TEST_CASE("normalize_name does not crash on invalid UTF-8 and treats bad bytes as separators", "[names]")
{
    CHECK_NOTHROW(normalize_name("\xFF\xFE"));
    CHECK(normalize_name("\xFF\xFE").empty());
    CHECK(normalize_name("Di\xFFjon") == "di jon");
    // A lead byte cut off at the end of the string, then one followed by a non-continuation byte.
    CHECK(normalize_name("Dijon\xC3") == "dijon");
    CHECK(normalize_name("F\xC3nay") == "f nay");
    CHECK(normalize_name("F\xE2\x82nay") == "f nay");
    CHECK(normalize_name("F\xF0\x9F\x98nay") == "f nay");
    // A lone continuation byte.
    CHECK(normalize_name("\x80\x80" "Beaune") == "beaune");
}

TEST_CASE("normalize_name turns characters outside the Latin tables into separators", "[names]")
{
    CHECK(normalize_name("Dijon\u00A0Métropole") == "dijon metropole"); // no-break space
    CHECK(normalize_name("Beaune \u2014 Nuits") == "beaune nuits");   // em dash
    CHECK(normalize_name("Beaune\xF0\x9F\x8D\xB7") == "beaune");        // emoji (4-byte UTF-8)
}

TEST_CASE("epci_key drops the legal form communauté de communes and its abbreviation CC", "[names]")
{
    CHECK(epci_key("communauté de communes du Montbardois") == "montbardois");
    CHECK(epci_key("communauté de communes du Montbardois") == epci_key("CC du Montbardois"));
    CHECK(epci_key("Communauté de Communes du Montbardois") == epci_key("CC du Montbardois"));
}

TEST_CASE("epci_key finds a métropole whichever side of the city the word is", "[names]")
{
    CHECK(epci_key("la métropole de Dijon") == "dijon");
    CHECK(epci_key("la métropole de Dijon") == epci_key("Dijon Métropole"));
}

TEST_CASE("epci_key drops the small word et between two place names", "[names]")
{
    CHECK(epci_key("communauté de communes Ouche et Montagne") == "ouche montagne");
    CHECK(epci_key("communauté de communes Ouche et Montagne") == epci_key("CC Ouche et Montagne"));
}

TEST_CASE("epci_key drops the legal form communauté d'agglomération and its abbreviation CA", "[names]")
{
    CHECK(epci_key("communauté d'agglomération de Chaumont") == "chaumont");
    CHECK(epci_key("communauté d'agglomération de Chaumont") == epci_key("CA de Chaumont"));
    CHECK(epci_key("Communauté de l'agglomération de Chaumont") == "chaumont");
}

TEST_CASE("epci_key drops the legal form communauté urbaine and its abbreviation CU", "[names]")
{
    CHECK(epci_key("Communauté urbaine du Creusot Montceau") == "creusot montceau");
    CHECK(epci_key("CU du Creusot Montceau") == "creusot montceau");
}

TEST_CASE("epci_key keeps the words that tell two EPCI apart", "[names]")
{
    CHECK(epci_key("CC du Pays d'Alésia et de la Seine") == "pays alesia seine");
    CHECK(epci_key("CC Rives de Saône") != epci_key("CC Pays de Saône"));
    CHECK(epci_key("CC de Gevrey-Chambertin et de Nuits-Saint-Georges") == "gevrey chambertin nuits saint georges");
}

TEST_CASE("looks_like_insee_code accepts five digits and the Corsican 2A and 2B codes", "[names]")
{
    CHECK(looks_like_insee_code("21231"));
    CHECK(looks_like_insee_code("01001"));
    CHECK(looks_like_insee_code("97101"));
    CHECK(looks_like_insee_code("2A004"));
    CHECK(looks_like_insee_code("2B033"));
    CHECK(looks_like_insee_code("2b033"));
    CHECK(looks_like_insee_code("2a004"));
}

TEST_CASE("looks_like_insee_code rejects wrong lengths, letters elsewhere and names", "[names]")
{
    CHECK_FALSE(looks_like_insee_code(""));
    CHECK_FALSE(looks_like_insee_code("2123"));
    CHECK_FALSE(looks_like_insee_code("212310"));
    CHECK_FALSE(looks_like_insee_code("21A31"));
    CHECK_FALSE(looks_like_insee_code("3A004"));
    CHECK_FALSE(looks_like_insee_code("2C004"));
    CHECK_FALSE(looks_like_insee_code("ABCDE"));
    CHECK_FALSE(looks_like_insee_code("2123 "));
    CHECK_FALSE(looks_like_insee_code("Dijon"));
}

TEST_CASE("looks_like_siren accepts exactly nine digits", "[names]")
{
    CHECK(looks_like_siren("242100410"));
    CHECK(looks_like_siren("000000000"));
    CHECK_FALSE(looks_like_siren(""));
    CHECK_FALSE(looks_like_siren("24210041"));
    CHECK_FALSE(looks_like_siren("2421004100"));
    CHECK_FALSE(looks_like_siren("24210041A"));
    CHECK_FALSE(looks_like_siren("242 100 410"));
    CHECK_FALSE(looks_like_siren("21231"));
}

TEST_CASE("a trailing article after a comma moves to the front, as sorted lists write it", "[names]")
{
    CHECK(normalize_name("Riceys, Les") == normalize_name("Les Riceys"));
    CHECK(normalize_name("Bussière-sur-Ouche, La") == normalize_name("La Bussière-sur-Ouche"));
}

TEST_CASE("s/ stands for sur and s/s for sous", "[names]")
{
    CHECK(normalize_name("Is-s/-Tille") == normalize_name("Is-sur-Tille"));
    CHECK(normalize_name("Is s/ Tille") == "is sur tille");
    CHECK(normalize_name("Magny S/ Tille") == normalize_name("Magny-sur-Tille"));
    CHECK(normalize_name("Sainte-Colombe-s/s-Seine") == normalize_name("Sainte-Colombe-sous-Seine"));
    // Only as a word of its own: "Rans/" and "Is/Tille" are left alone.
    CHECK(normalize_name("Ars/Tille") == "ars tille");
}

TEST_CASE("Ste and Sainte, St and Saint match in full names", "[names]")
{
    CHECK(normalize_name("Ste-Colombe-en-Auxois") == normalize_name("Sainte-Colombe-en-Auxois"));
    CHECK(normalize_name("St-Apollinaire") == normalize_name("Saint-Apollinaire"));
}

TEST_CASE("without_article drops one leading article", "[names]")
{
    using cptsmap::without_article;
    CHECK(without_article("la bussiere sur ouche") == "bussiere sur ouche");
    CHECK(without_article("l etang vergy") == "etang vergy");
    CHECK(without_article("les goulles") == "goulles");
    CHECK(without_article("le val larrey") == "val larrey");
    CHECK(without_article("lamarche") == "lamarche");
    CHECK(without_article("la") == "la");
}
