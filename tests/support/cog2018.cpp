#include "cog2018.hpp"

#include "test_support.hpp"

#include <gdal_priv.h>
#include <ogr_api.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <stdexcept>

namespace cptsmap::test {

std::string cog_history_csv() { return (shared_data_dir() / "cog" / "mouvements-communes-2026.csv").string(); }

const std::vector<OldCommune>& communes_2018()
{
    static const std::vector<OldCommune> communes = [] {
        std::vector<OldCommune> out;
        if (!have_shared_data()) return out;
        GDALAllRegister();
        GDALDatasetUniquePtr today(GDALDataset::Open((cote_dor_dir() / "COMMUNE.shp").c_str(), GDAL_OF_VECTOR));
        if (!today) throw std::runtime_error("cannot open the 2023 COMMUNE layer");
        OGRLayer* layer = today->GetLayer(0);
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> to_layer(OGRCreateCoordinateTransformation(&wgs84, layer->GetSpatialRef()));
        if (!to_layer) throw std::runtime_error("no transformation to the layer's CRS");
        for (const char* dep : {"21", "52"}) {
            const auto path = shared_data_dir() / "history" / ("communes-2018-" + std::string(dep) + ".geojson");
            GDALDatasetUniquePtr old(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
            if (!old) throw std::runtime_error("cannot open " + path.string());
            for (auto& f : *old->GetLayer(0)) {
                OldCommune c{f->GetFieldAsString("code"), f->GetFieldAsString("nom"), dep, ""};
                std::unique_ptr<OGRGeometry> inside(OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(f->GetGeometryRef()))));
                if (!inside) throw std::runtime_error("no point on the surface of " + c.code);
                inside->transform(to_layer.get());
                layer->SetSpatialFilter(inside.get());
                for (auto& t : *layer)
                    if (t->GetGeometryRef()->Contains(inside.get())) c.today = t->GetFieldAsString("INSEE_COM");
                layer->SetSpatialFilter(nullptr);
                out.push_back(std::move(c));
            }
        }
        return out;
    }();
    return communes;
}

} // namespace cptsmap::test
