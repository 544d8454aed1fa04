/** Every model of the emulated database for one Odoo version. */
import type { OdooVersion } from '../../contract';
import type { ModelDef } from '../model';
import { accountMoveModel, journalModel, moveLineModel, paymentModel, taxModel } from './account';
import { automationModel, serverActionModel } from './automation';
import { companyModel, irModelDataModel, irModelFieldsModel, irModelModel, usersModel } from './base';
import { blacklistModel, mailingContactModel, mailingListModel, optoutReasonModel, subscriptionModel } from './mailing';
import {
	categoryModel, countryModel, countryStateModel, currencyModel, industryModel, partnerModel, titleModel,
} from './partner';
import { categoryModel as productCategoryModel, productModel, templateModel, uomModel } from './product';
import { saleOrderLineModel, saleOrderModel } from './sale';
import { carrierModel, locationModel, pickingModel, pickingTypeModel } from './stock';

export function modelDefs(v: OdooVersion): ModelDef[] {
	const defs: ModelDef[] = [
		partnerModel(v), categoryModel(v), industryModel, countryModel, countryStateModel, currencyModel,
		companyModel, usersModel(v), irModelModel, irModelFieldsModel, irModelDataModel,
		saleOrderModel(v), saleOrderLineModel(v),
		accountMoveModel(v), moveLineModel(v), taxModel, journalModel, paymentModel,
		pickingModel(v), pickingTypeModel, locationModel, carrierModel,
		templateModel(v), productModel(v), productCategoryModel, uomModel,
		blacklistModel, optoutReasonModel, mailingListModel(v), mailingContactModel(v), subscriptionModel(v),
		automationModel(v), serverActionModel(v),
	];
	if (v <= 18) defs.push(titleModel); // res.partner.title removed in 19 (odoo.md §3.1)
	return defs;
}
