#!/bin/sh
# Regenerate the synthetic ADMIN EXPRESS shapefiles (COMMUNE, EPCI) from the
# hand-written GeoJSON sources beside this script. Idempotent: existing
# shapefiles are removed and rewritten. Requires GDAL's ogr2ogr.
#
# The .dbf "last update" date is pinned so that regenerating on another day
# gives byte-identical files.
set -eu

cd "$(dirname "$0")"

for layer in COMMUNE EPCI; do
    rm -f "$layer.shp" "$layer.shx" "$layer.dbf" "$layer.prj" "$layer.cpg"
    ogr2ogr -f "ESRI Shapefile" "$layer.shp" "$layer.geojson" \
        -nln "$layer" \
        -nlt MULTIPOLYGON \
        -lco ENCODING=UTF-8 \
        -lco DBF_DATE_LAST_UPDATE=2025-01-01
    echo "wrote $layer.shp"
done
