#pragma once
// The colours of the maps and styles, shared by the QGIS styles and the SVG/HTML maps so that a
// territory has the same colour everywhere.
#include <cstddef>
#include <string>

namespace cptsmap {

struct Rgb {
    int r = 0, g = 0, b = 0;
    std::string hex() const;       // "#1f77b4"
    std::string qgis() const;      // "31,119,180,255"
};

// The colour of the territory at `index` (definition order); a 12-colour qualitative palette,
// repeated beyond 12 territories.
Rgb territory_colour(std::size_t index);

inline constexpr Rgb kGapColour{215, 25, 28};      // strong red
inline constexpr Rgb kOverlapColour{84, 39, 143};  // dark purple
inline constexpr Rgb kSharedColour{33, 113, 181};  // blue: communes shared by declaration, not a conflict
inline constexpr Rgb kCommuneOutline{110, 110, 110};
inline constexpr Rgb kStudyAreaOutline{30, 30, 30};

// Escapes &, <, >, " and ' for XML/HTML text and attributes.
std::string xml_escape(const std::string& s);

} // namespace cptsmap
