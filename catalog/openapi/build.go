package openapi

import (
	"errors"

	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	lowbase "github.com/pb33f/libopenapi/datamodel/low/base"
	v3low "github.com/pb33f/libopenapi/datamodel/low/v3"
	"github.com/pb33f/libopenapi/index"
	"github.com/pb33f/libopenapi/utils"
)

// buildV3 reads an OpenAPI 3 document into libopenapi's high-level model,
// as libopenapi.NewDocument + BuildV3Model do, but through the packages
// that do it: the top-level package also links Swagger 2, Arazzo, overlays
// and document comparison, which add megabytes to the binary and to its
// resident memory and which the importer never uses. The model is
// returned with the document's problems, if any; nil when nothing could
// be read.
func buildV3(data []byte, cfg *datamodel.DocumentConfiguration) (*v3.Document, error) {
	info, err := datamodel.ExtractSpecInfoWithConfig(data, cfg)
	if err != nil {
		return nil, err
	}
	low, docErr := v3low.CreateDocumentFromConfig(info, cfg)
	if low == nil {
		return nil, docErr
	}
	errs := utils.UnwrapErrors(docErr)
	for _, e := range errs {
		// A reference that cannot be resolved at all (not a cycle) leaves
		// no usable model, as BuildV3Model decides.
		var refErr *index.ResolvingError
		if errors.As(e, &refErr) && refErr.CircularReference == nil {
			return nil, errors.Join(errs...)
		}
	}
	high := v3.NewDocument(low)
	high.Rolodex = low.Index.GetRolodex()
	lowbase.SchemaQuickHashMap.Clear()
	return high, errors.Join(errs...)
}
